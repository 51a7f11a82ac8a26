<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>CaseListModel</name>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="31" />
        <source>受理编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="32" />
        <source>业务类型</source>
        <translation>Business type</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="33" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="34" />
        <source>申请人</source>
        <translation>Applicants</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="35" />
        <source>不动产单元号</source>
        <translation>Unit number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="36" />
        <source>坐落</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="37" />
        <source>受理人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="38" />
        <source>更新时间</source>
        <translation>Updated</translation>
    </message>
</context><context>
    <name>CaseWizard</name>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="161" />
        <source>新建案件</source>
        <translation>New case</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="162" />
        <source>下一步(&amp;N) &gt;</source>
        <translation>&amp;Next &gt;</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="163" />
        <source>&lt; 上一步(&amp;B)</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="164" />
        <source>完成(&amp;F)</source>
        <translation>&amp;Finish</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="165" />
        <source>暂存并关闭</source>
        <translation>Save draft and close</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="167" />
        <source>下一页：Alt+→ 或 PageDown；最后一个字段按回车也会翻页</source>
        <translation>Next page: Alt+Right or PageDown; Enter in the last field also moves on</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="168" />
        <source>上一页：Alt+← 或 PageUp</source>
        <translation>Previous page: Alt+Left or PageUp</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="169" />
        <source>保存版本并标记为待提交</source>
        <translation>Save a version and mark the case ready</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="170" />
        <source>草稿已自动保存 (Ctrl+S 立即保存)，关闭后可从案件列表继续</source>
        <translation>The draft is saved automatically (Ctrl+S saves now); continue later from the case list</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="279" />
        <source>翻页保存</source>
        <translation>Saved at page change</translation>
    </message>
</context><context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../workstation/ui/errors.py" line="42" />
        <source>操作未完成</source>
        <translation>Not completed</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="49" />
        <source>程序错误</source>
        <translation>Program error</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="50" />
        <source>程序遇到意外错误。</source>
        <translation>The program met an unexpected error. </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="52" />
        <source>正在录入的内容已保存为草稿，重新打开案件即可继续。</source>
        <translation>What you were entering is saved as a draft; reopen the case to continue.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="56" />
        <source>（未配置日志文件）</source>
        <translation>(no log file configured)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="57" />
        <source>请把日志文件发给信息科：</source>
        <translation>Please send the log file to IT: </translation>
    </message>
</context><context>
    <name>InterviewPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="676" />
        <source>询问</source>
        <translation>Interview</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="677" />
        <source>逐人询问；被询问人取自已录入的当事人。</source>
        <translation>Question each person; the people are taken from the parties entered.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="718" />
        <source>被询问人：</source>
        <translation>Person questioned: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="728" />
        <source>请先在“当事人”页录入当事人。</source>
        <translation>Enter the parties on the Parties page first.</translation>
    </message>
</context><context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../workstation/ui/login.py" line="143" />
        <source>正在启动…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="145" />
        <source>一窗受理 — 已锁定</source>
        <translation>Yichuang — locked</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="146" />
        <source>屏幕已锁定</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="147" />
        <source>长时间无操作，已自动锁定。请输入密码继续，录入内容已保留。</source>
        <translation>Locked after a period without input. Enter your password to continue; your entries are kept.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="148" />
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="150" />
        <source>一窗受理 — 登录</source>
        <translation>Yichuang — sign in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="151" />
        <source>一窗受理 综合受理工作站</source>
        <translation>Yichuang integrated intake workstation</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="153" />
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="154" />
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="155" />
        <source>用户名(&amp;U)</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="156" />
        <source>密码(&amp;P)</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="157" />
        <source>语言(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="158" />
        <source>回车</source>
        <translation>Enter</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="200" />
        <source>请输入用户名。</source>
        <translation>Please enter your user name.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="204" />
        <source>请输入密码。</source>
        <translation>Please enter your password.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="256" />
        <source>登录未完成，请重试。</source>
        <translation>Sign-in did not complete; please try again.</translation>
    </message>
</context><context>
    <name>MainWindow</name>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="89" />
        <source>正在查询…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="154" />
        <source>新建案件(&amp;N)</source>
        <translation>&amp;New case</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="155" />
        <source>保存草稿(&amp;S)</source>
        <translation>&amp;Save draft</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="156" />
        <source>锁定(&amp;L)</source>
        <translation>&amp;Lock</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="157" />
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="158" />
        <source>查找(&amp;F)</source>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="159" />
        <source>刷新(&amp;R)</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="160" />
        <source>打开案件(&amp;O)</source>
        <translation>&amp;Open case</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="161" />
        <source>未完成的草稿(&amp;D)</source>
        <translation>Unfinished &amp;drafts</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="162" />
        <source>关于(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="171" />
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="172" />
        <source>案件(&amp;C)</source>
        <translation>&amp;Case</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="173" />
        <source>查看(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="174" />
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="175" />
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="176" />
        <source>查找：</source>
        <translation>Find:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="178" />
        <source>受理编号、不动产单元号、姓名（完整）、证件号码或电话，回车查找</source>
        <translation>Case number, unit number, full name, ID number or phone; Enter to search</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="182" />
        <source>一窗受理</source>
        <translation>Yichuang</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="184" />
        <source>用户：</source>
        <translation>User: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="184" />
        <source>未登录</source>
        <translation>not signed in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="187" />
        <source>机构：</source>
        <translation>Office: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="187" />
        <source>窗口：</source>
        <translation>Window: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="221" />
        <source>不能修改</source>
        <translation>Cannot edit</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="222" />
        <source>案件 %1 的状态是“%2”，已不能在受理环节修改。</source>
        <translation>Case %1 is “%2” and can no longer be edited at intake.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="268" />
        <source>草稿已保存</source>
        <translation>Draft saved</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="284" />
        <source>（未编号）</source>
        <translation>(no number)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="292" />
        <location filename="../../workstation/ui/main_window.py" line="289" />
        <source>继续录入</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="290" />
        <source>发现未完成的草稿，选择一个继续录入（取消则稍后在“案件”菜单中继续）：</source>
        <translation>Unfinished drafts were found. Choose one to continue (or later from the Case menu):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="293" />
        <source>稍后</source>
        <translation>Later</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="340" />
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="340" />
        <source>一窗受理 综合受理工作站</source>
        <translation>Yichuang integrated intake workstation</translation>
    </message>
</context><context>
    <name>MaterialsPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="604" />
        <source>申请材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="605" />
        <source>空格键勾选；共享获取的材料无需申请人提交。</source>
        <translation>Space ticks a box; materials obtained by data sharing are not asked of the applicant.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="641" />
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="641" />
        <source>必交</source>
        <translation>Required</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="641" />
        <source>已收取</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="641" />
        <source>原件</source>
        <translation>Original</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="641" />
        <source>份数</source>
        <translation>Copies</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="641" />
        <source>页数</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="650" />
        <source>（共享获取）</source>
        <translation> (data sharing)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="652" />
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="652" />
        <source>否</source>
        <translation>No</translation>
    </message>
</context><context>
    <name>MortgagePage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="567" />
        <source>抵押</source>
        <translation>Mortgage</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="568" />
        <source>金额以元为单位，日期格式 2024-05-01。</source>
        <translation>Amounts in yuan, dates as 2024-05-01.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="586" />
        <source>抵押方式</source>
        <translation>Mortgage kind</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="587" />
        <source>被担保主债权数额(元)</source>
        <translation>Secured amount (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="588" />
        <source>债务履行期限起</source>
        <translation>Debt term from</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="589" />
        <source>债务履行期限止</source>
        <translation>Debt term to</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="590" />
        <source>借款合同编号</source>
        <translation>Loan contract number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="591" />
        <source>抵押合同编号</source>
        <translation>Mortgage contract number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="592" />
        <source>注销原因</source>
        <translation>Release reason</translation>
    </message>
</context><context>
    <name>PartiesPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="298" />
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="300" />
        <source>按角色添加当事人（Ctrl+1… 添加，Ctrl+Delete 删除）。每人只录入一次，代理人、监护人从已录入的当事人中选择。</source>
        <translation>Add parties by role (Ctrl+1… to add, Ctrl+Delete to remove). Each person is entered once; agents and guardians pick the parties they act for.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="311" />
        <source>还没有当事人：请按上方按钮添加。</source>
        <translation>No parties yet: add one with the buttons above.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="317" />
        <source>删除当事人</source>
        <translation>Remove party</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="319" />
        <source>删除选中的当事人 (Ctrl+Delete)</source>
        <translation>Remove the selected party (Ctrl+Delete)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="357" />
        <source>添加</source>
        <translation>Add </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="365" />
        <source>快捷键</source>
        <translation>Shortcut</translation>
    </message>
</context><context>
    <name>PartyEditor</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="213" />
        <source>主体类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="215" />
        <source>证件种类</source>
        <translation>ID type</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="217" />
        <source>18 位身份证号，末位可为 X</source>
        <translation>18 characters; the last may be X</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="218" />
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="220" />
        <source>姓名/名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="222" />
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="224" />
        <source>通讯地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="227" />
        <source>法定代表人/负责人</source>
        <translation>Legal representative</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="231" />
        <source>代理机构名称</source>
        <translation>Agency</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="235" />
        <source>空格键勾选被代理/被监护的当事人（从已录入的当事人中选择）</source>
        <translation>Space ticks the parties represented (chosen from the parties entered)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="237" />
        <source>代理/监护的当事人</source>
        <translation>Acts for</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="242" />
        <source>共有方式</source>
        <translation>Co-ownership</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="244" />
        <source>按份共有时填写，如 50</source>
        <translation>For shares, e.g. 50</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="245" />
        <source>共有份额(%)</source>
        <translation>Share (%)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="247" />
        <source>婚姻状况</source>
        <translation>Marital status</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="249" />
        <source>家庭（本人、配偶、未成年子女）已有住房套数</source>
        <translation>Homes the family (self, spouse, minor children) already owns</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="250" />
        <source>家庭住房套数</source>
        <translation>Family homes</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="253" />
        <source>与对方当事人关系</source>
        <translation>Relation to the other side</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="255" />
        <source>本人到场</source>
        <translation>Present in person</translation>
    </message>
</context><context>
    <name>PropertyPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="464" />
        <source>不动产</source>
        <translation>Property</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="465" />
        <source>按不动产权证书填写。</source>
        <translation>As on the title certificate.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="482" />
        <source>28 位，如 110105001001GB00001F00010001</source>
        <translation>28 characters, e.g. 110105001001GB00001F00010001</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="483" />
        <source>不动产单元号</source>
        <translation>Unit number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="484" />
        <source>不动产权证书号</source>
        <translation>Certificate number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="485" />
        <source>坐落</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="487" />
        <source>平方米，如 89.5</source>
        <translation>Square metres, e.g. 89.5</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="488" />
        <source>面积(㎡)</source>
        <translation>Area (m²)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="489" />
        <source>用途</source>
        <translation>Use</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="491" />
        <source>不动产类型</source>
        <translation>Property type</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="495" />
        <source>房屋性质</source>
        <translation>Housing class</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="499" />
        <source>市区</source>
        <translation>Urban</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="499" />
        <source>县城、镇</source>
        <translation>County town</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="499" />
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="501" />
        <source>所在地类别</source>
        <translation>District class</translation>
    </message>
</context><context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="750" />
        <source>核对</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="752" />
        <source>核对每一项及其去向；双击或回车问题可跳转到对应字段。完成后案件进入“待提交”。</source>
        <translation>Check every fact and where it goes; double-click or press Enter on an issue to jump to its field. Finishing marks the case ready.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../workstation/ui/wizard/pages.py" line="784" />
        <source>还有 %n 处错误需要更正：</source>
        <translation>
            <numerusform>%n error(s) still to correct:</numerusform>
            <numerusform>%n error(s) still to correct:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="784" />
        <source>没有错误，可以完成。</source>
        <translation>No errors: the case can be finished.</translation>
    </message>
</context><context>
    <name>TaxPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="207" />
        <source>税费</source>
        <translation>Taxes and fees</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="209" />
        <source>按计税日期有效的规则估算各方应缴税费；选中一行查看计算说明，点击尚缺事实跳到该字段。</source>
        <translation>Estimates what each side pays under the rules in force on the tax date; select a line to see how it was computed, click a missing fact to go to its field.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="219" />
        <source>如 2026-03-01</source>
        <translation>e.g. 2026-03-01</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="221" />
        <source>申报（计税）日期，默认今天；按该日有效的税费规则计算</source>
        <translation>Declaration (tax) date, today by default; the rules in force on that day apply</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="223" />
        <source>默认今天，可改为申报日期；按该日有效的规则计算。</source>
        <translation>Today by default; change it to the declaration date. The rules in force on that day apply.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="225" />
        <source>预估</source>
        <translation>Estimate</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="228" />
        <source>本页金额为估算，以税务机关核定为准</source>
        <translation>The amounts on this page are estimates; the tax bureau's assessment binds</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="230" />
        <source>计税日期</source>
        <translation>Tax date</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="246" />
        <source>税费</source>
        <comment>column</comment>
        <translation>Tax / fee</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="247" />
        <source>缴纳方</source>
        <translation>Payer</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="248" />
        <source>计税依据(元)</source>
        <translation>Base (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="249" />
        <source>税率</source>
        <translation>Rate</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="250" />
        <source>金额(元)</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="251" />
        <source>依据</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="269" />
        <source>税费明细：Tab 或 %1 进入，↑↓ 选择一行查看计算说明，回车下一页</source>
        <translation>Line items: Tab or %1 to enter, ↑↓ to select a line and see its explanation, Enter for the next page</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="289" />
        <source>单击或回车跳转到该字段；补齐后估算方为确定</source>
        <translation>Click or press Enter to go to the field; the estimate is final once these are filled in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="293" />
        <source>备选计算（不计入合计）：</source>
        <translation>Alternatives (not in the totals):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="309" />
        <source>以上为预估，仅供参考；应缴税费以税务机关核定为准。</source>
        <translation>Estimate for information only; the tax bureau's assessment decides what is due.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="323" />
        <source>计算说明</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="406" />
        <source>请先在第一页选择业务类型。</source>
        <translation>Choose the business type on the first page first.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="413" />
        <source>尚不能识别，暂不估算（单击跳转改正）：</source>
        <translation>Not readable yet, no estimate (click to go and correct):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="425" />
        <source>暂不能估算（单击跳转改正）：</source>
        <translation>Cannot estimate (click to go and correct):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="435" />
        <source>合计：—（补齐或改正下列内容后显示）</source>
        <translation>Totals: — (shown once the items below are filled in or corrected)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="442" />
        <source>金额暂不显示：请先改正左侧所列内容，改正后自动重新估算。</source>
        <translation>No amounts yet: correct the items listed on the left; the estimate then updates by itself.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="481" />
        <source>尚缺事实（单击跳转到该字段）：</source>
        <translation>Missing facts (click to go to the field):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="486" />
        <source>估算所需事实已齐全。</source>
        <translation>All facts the estimate needs are present.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="541" />
        <source>%1 合计 %2 元</source>
        <translation>%1 total %2 yuan</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="542" />
        <source>总计 %1 元</source>
        <translation>Grand total %1 yuan</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="562" />
        <source>规则：</source>
        <translation>Rule: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="563" />
        <source>依据：</source>
        <translation>Source: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="567" />
        <source>金额 %1 元</source>
        <translation>amount %1 yuan</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="576" />
        <source>取决于：%1（改动这些事实，估算随之更新）</source>
        <translation>Depends on: %1 (changing these facts updates the estimate)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="582" />
        <source>（备选，不计入合计）</source>
        <translation> (alternative, not in the totals)</translation>
    </message>
</context><context>
    <name>TransactionPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="513" />
        <source>交易</source>
        <translation>Transaction</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="514" />
        <source>金额以元为单位，日期格式 2024-05-01。</source>
        <translation>Amounts in yuan, dates as 2024-05-01.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="531" />
        <source>合同网签备案编号</source>
        <translation>Contract filing number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="532" />
        <source>成交价格(元)</source>
        <translation>Price (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="534" />
        <source>付款方式</source>
        <translation>Payment</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="538" />
        <source>原有抵押</source>
        <translation>Existing mortgage</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="543" />
        <source>评估价格(元)</source>
        <translation>Assessed value (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="545" />
        <source>卖方取得情况</source>
        <translation>How the seller acquired it</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="546" />
        <source>取得日期</source>
        <translation>Acquired on</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="547" />
        <source>原值(元)</source>
        <translation>Original value (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="551" />
        <source>原值凭证齐全</source>
        <translation>Original value documented</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="556" />
        <source>购入时已缴契税(元)</source>
        <translation>Deed tax paid on purchase (yuan)</translation>
    </message>
</context><context>
    <name>TypePage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="136" />
        <source>业务类型</source>
        <translation>Business type</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="137" />
        <source>选择本次申请的登记业务（方向键选择，回车下一步）。</source>
        <translation>Choose the registration business (arrow keys to choose, Enter to continue).</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="164" />
        <source>案件已创建，业务类型不能再更改；如选错，请作废本案件后重新受理。</source>
        <translation>The case exists; its business type can no longer change. If it is wrong, cancel this case and start again.</translation>
    </message>
</context></TS>
